# Fixed render settings for gpumarket's Blender executor (package
# relayer/executor/blender, embedded with go:embed and written into each
# job's work dir). Blender runs it with --python after loading the job's
# .blend and before rendering. It takes exactly four integers after "--":
#   width height samples device
# (device: 0 CPU, 1 CUDA, 2 OPTIX, 3 HIP, 4 METAL). Nothing from the job
# reaches this script but the scene data Blender loaded; no scene string is
# ever evaluated, imported or used as a path here.
#
# It refuses a scene (a "gpumarket-blender: refused: ..." line on stderr,
# exit code 3) that references files outside the job's work dir, links
# other .blend files, or has drivers with Python expressions; it removes
# compositor File Output nodes (which write anywhere) and applies the
# settings: Cycles, the resolution at 100 %, the samples, no denoising (the
# Debian build has no OpenImageDenoiser), no OSL, no sequencer, no
# multiview, frame step 1, 8-bit RGBA PNG output.
import os
import sys

import bpy

DEVICES = ("CPU", "CUDA", "OPTIX", "HIP", "METAL")
MARK = "gpumarket-blender: "


class Refused(Exception):
    pass


def refuse(reason):
    print(MARK + "refused: " + reason, file=sys.stderr, flush=True)
    raise Refused(reason)


def fail(reason):
    print(MARK + "failed: " + reason, file=sys.stderr, flush=True)
    raise RuntimeError(reason)


def parse_args():
    argv = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    if len(argv) != 4 or not all(a.isdigit() and len(a) <= 6 for a in argv):
        fail("want 4 integer arguments after --")
    width, height, samples, device = (int(a) for a in argv)
    if not (1 <= width <= 65536 and 1 <= height <= 65536 and 1 <= samples <= 1 << 20 and device < len(DEVICES)):
        fail("argument out of range")
    return width, height, samples, DEVICES[device]


BLEND_DIR = os.path.dirname(os.path.realpath(bpy.data.filepath))


def inside(path):
    """Whether path (absolute or //-relative) resolves inside the work dir."""
    if not path or path == "<builtin>":
        return True
    resolved = os.path.realpath(bpy.path.abspath(path))
    return resolved == BLEND_DIR or resolved.startswith(BLEND_DIR + os.sep)


def path_props(struct):
    for prop in struct.bl_rna.properties:
        if prop.type == "STRING" and prop.subtype in ("FILE_PATH", "DIR_PATH"):
            yield prop.identifier, getattr(struct, prop.identifier, "")


def node_trees():
    for coll in (bpy.data.materials, bpy.data.worlds, bpy.data.lights, bpy.data.scenes,
                 bpy.data.textures, bpy.data.linestyles):
        for idb in coll:
            tree = getattr(idb, "node_tree", None)
            if tree is not None:
                yield tree
    yield from bpy.data.node_groups


def check_scene():
    for lib in bpy.data.libraries:
        if lib.packed_file is None:
            refuse("the scene links another .blend file (a library); make its data local or pack it")
    for kind, coll in (("an image", bpy.data.images), ("a movie clip", bpy.data.movieclips),
                       ("a sound", bpy.data.sounds), ("a font", bpy.data.fonts),
                       ("a volume", bpy.data.volumes), ("a cache file", bpy.data.cache_files)):
        for idb in coll:
            if kind == "an image" and idb.source in ("GENERATED", "VIEWER"):
                continue
            if getattr(idb, "packed_file", None) is None and not inside(idb.filepath):
                refuse("%s uses a file outside the job; pack external data into the .blend" % kind)
    for obj in bpy.data.objects:
        for mod in obj.modifiers:
            for _, value in path_props(mod):
                if not inside(value):
                    refuse("a %s modifier uses a path outside the job" % mod.type.lower())
            if mod.type == "FLUID" and mod.fluid_type == "DOMAIN":
                if not inside(mod.domain_settings.cache_directory):
                    refuse("a fluid domain caches outside the job")
            cache = getattr(mod, "point_cache", None)
            if cache is not None and cache.use_external and not inside(cache.filepath):
                refuse("a %s modifier reads an external point cache" % mod.type.lower())
        for psys in obj.particle_systems:
            cache = psys.point_cache
            if cache.use_external and not inside(cache.filepath):
                refuse("a particle system reads an external point cache")
    for scene in bpy.data.scenes:
        world = scene.rigidbody_world
        if world is not None and world.point_cache.use_external and not inside(world.point_cache.filepath):
            refuse("the rigid body world reads an external point cache")
    for tree in node_trees():
        for node in list(tree.nodes):
            if node.bl_idname == "CompositorNodeOutputFile":
                tree.nodes.remove(node)  # writes files anywhere: never kept
                continue
            if node.bl_idname == "CompositorNodeDenoise":
                node.mute = True
            for _, value in path_props(node):
                if not inside(value):
                    refuse("a %s node uses a file outside the job" % node.bl_idname)
    for attr in dir(bpy.data):
        coll = getattr(bpy.data, attr, None)
        if not isinstance(coll, bpy.types.bpy_prop_collection):
            continue
        for idb in coll:
            holders = [idb, getattr(idb, "node_tree", None)]
            for holder in holders:
                anim = getattr(holder, "animation_data", None)
                if anim is None:
                    continue
                for fcurve in anim.drivers:
                    driver = fcurve.driver
                    if driver.type == "SCRIPTED" and not driver.is_simple_expression:
                        refuse("a driver has a Python expression; only simple expressions are rendered")


def apply(width, height, samples, device):
    if device != "CPU":
        prefs = bpy.context.preferences.addons["cycles"].preferences
        prefs.compute_device_type = device
        prefs.get_devices()
        found = False
        for dev in prefs.devices:
            dev.use = dev.type == device
            found = found or dev.use
        if not found:
            fail("no %s device found" % device)
    output = bpy.context.scene.render.filepath  # set by -o before this script
    for scene in bpy.data.scenes:
        scene.frame_step = 1
        r = scene.render
        r.engine = "CYCLES"
        r.resolution_x, r.resolution_y, r.resolution_percentage = width, height, 100
        r.use_border = False
        r.use_crop_to_border = False
        r.use_multiview = False
        r.use_sequencer = False
        r.use_placeholder = False
        r.use_overwrite = True
        r.use_file_extension = True
        r.filepath = output
        img = r.image_settings
        img.file_format = "PNG"
        img.color_mode = "RGBA"
        img.color_depth = "8"
        c = scene.cycles
        c.samples = samples
        c.time_limit = 0
        c.use_denoising = False
        c.use_preview_denoising = False
        c.shading_system = False
        c.device = "CPU" if device == "CPU" else "GPU"
        for layer in scene.view_layers:
            layer.cycles.denoising_store_passes = False
            if hasattr(layer.cycles, "use_denoising"):
                layer.cycles.use_denoising = False


args = parse_args()
check_scene()
apply(*args)
print(MARK + "settings applied", file=sys.stderr, flush=True)
