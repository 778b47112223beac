# Builds the hostile test scenes of package blender's tests from the
# executor's own test scene (Executor.TestScene; run by the tests with
# blender -b --factory-startup --python make_scene.py -- VARIANT IN OUT MARKER):
#   textblock  a text block registered to run on load (use_module) that
#              writes MARKER
#   driver     a driver whose Python expression writes MARKER
#   image      a material image texture reading MARKER (an external,
#              unpacked file)
#   fileout    a compositor File Output node writing under MARKER
#   meshcache  a Mesh Cache modifier reading MARKER
import sys

import bpy

variant, src, out, marker = sys.argv[sys.argv.index("--") + 1:]
bpy.ops.wm.open_mainfile(filepath=src)
scene = bpy.context.scene
sphere = bpy.data.objects["Sphere"]

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
elif variant == "meshcache":
    mod = sphere.modifiers.new("cache", "MESH_CACHE")
    mod.filepath = marker
else:
    raise SystemExit("unknown variant " + variant)

bpy.ops.wm.save_as_mainfile(filepath=out)
