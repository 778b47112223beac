# Writes examples/scene.blend, the small scene of the README's render tour
# and of the client's end-to-end render test: a sphere on a plane lit by a
# sun, moving over frames 1 to 4 so frames differ. Run from the repository
# root:
#
#   blender -b --factory-startup --python tools/make-example-scene.py
#
# It holds no script, driver or add-on: the blender engine would not run
# one anyway (--disable-autoexec).
import os

import bpy

bpy.ops.wm.read_factory_settings(use_empty=True)
scene = bpy.context.scene
scene.render.engine = "CYCLES"
scene.frame_start, scene.frame_end = 1, 4
bpy.ops.mesh.primitive_uv_sphere_add(radius=1, location=(0, 0, 0))
sphere = bpy.context.object
sphere.name = "Sphere"
sphere.keyframe_insert("location", frame=1)
sphere.location = (1.5, 0, 0.5)
sphere.keyframe_insert("location", frame=4)
bpy.ops.mesh.primitive_plane_add(size=10, location=(0, 0, -1))
bpy.ops.object.light_add(type="SUN", location=(3, -3, 5))
bpy.context.object.data.energy = 4
bpy.ops.object.camera_add(location=(0, -6, 2), rotation=(1.3, 0, 0))
scene.camera = bpy.context.object
world = bpy.data.worlds.new("sky")
world.color = (0.2, 0.3, 0.5)
scene.world = world
bpy.ops.wm.save_as_mainfile(filepath=os.path.join(os.getcwd(), "examples", "scene.blend"), compress=True)
