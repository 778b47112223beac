# Builds the test scenes of package blender's tests (run by the tests with
# blender -b --factory-startup --python make_scene.py -- VARIANT OUT [MARKER]):
#   plain      a sphere on a plane, lit by a sun, the sphere moving between
#              frames 1, 2 and 8 (so frames differ and no frame is uniform)
#   textblock  plain plus a text block registered to run on load (use_module)
#              that writes MARKER
#   driver     plain plus a driver whose Python expression writes MARKER
#   image      plain plus a material image texture reading MARKER (an
#              external, unpacked file)
#   fileout    plain plus a compositor File Output node writing under MARKER
import sys

import bpy

variant, out = sys.argv[sys.argv.index("--") + 1:][:2]
marker = sys.argv[sys.argv.index("--") + 3] if variant != "plain" else ""

bpy.ops.wm.read_factory_settings(use_empty=True)
scene = bpy.context.scene
scene.render.engine = "CYCLES"
scene.frame_start, scene.frame_end = 1, 8
bpy.ops.mesh.primitive_uv_sphere_add(radius=1, location=(0, 0, 0))
sphere = bpy.context.object
sphere.keyframe_insert("location", frame=1)
sphere.location = (1.5, 0, 0.5)
sphere.keyframe_insert("location", frame=2)
sphere.location = (-1.5, 0, 0.5)
sphere.keyframe_insert("location", frame=8)
bpy.ops.mesh.primitive_plane_add(size=10, location=(0, 0, -1))
bpy.ops.object.light_add(type="SUN", location=(3, -3, 5))
bpy.context.object.data.energy = 4
bpy.ops.object.camera_add(location=(0, -6, 2), rotation=(1.3, 0, 0))
scene.camera = bpy.context.object
world = bpy.data.worlds.new("sky")
world.color = (0.2, 0.3, 0.5)
scene.world = world

if variant == "textblock":
    text = bpy.data.texts.new("on_load.py")
    text.write("open(%r, 'w').write('text block ran')\n" % marker)
    text.use_module = True
elif variant == "driver":
    fcurve = sphere.driver_add("location", 2)
    fcurve.driver.type = "SCRIPTED"
    fcurve.driver.expression = "len(open(%r, 'w').write('driver ran') and '')" % marker
elif variant == "image":
    image = bpy.data.images.load(marker, check_existing=False)
    mat = bpy.data.materials.new("textured")
    mat.use_nodes = True
    node = mat.node_tree.nodes.new("ShaderNodeTexImage")
    node.image = image
    sphere.data.materials.append(mat)
elif variant == "fileout":
    scene.use_nodes = True
    tree = scene.node_tree
    node = tree.nodes.new("CompositorNodeOutputFile")
    node.base_path = marker
    tree.links.new(tree.nodes["Render Layers"].outputs["Image"], node.inputs[0])
elif variant != "plain":
    raise SystemExit("unknown variant " + variant)

bpy.ops.wm.save_as_mainfile(filepath=out)
