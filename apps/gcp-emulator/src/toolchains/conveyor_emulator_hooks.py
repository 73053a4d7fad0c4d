"""Start-up hooks of the emulator's cached Python venvs (loaded through a .pth file; no image has them).

1. pip: every pip process in this venv takes an exclusive lock on `<venv>/.conveyor-pip.lock`
   (released when it exits), so tasks of the same image installing at the same time take turns
   instead of corrupting the shared venv. A pip started by a locked pip (build isolation) inherits
   CONVEYOR_PIP_LOCKED and does not wait for its parent.
2. kfp: on Vertex, Cloud Storage FUSE is mounted at /gcs and the kfp SDK maps gs:// URIs onto
   `/gcs/`. Here each task has its own staged mount (CONVEYOR_GCS_MOUNT), so the SDK's prefix is
   pointed there once `kfp.dsl.types.artifact_types` is imported.
"""

import fcntl
import importlib.abc
import importlib.machinery
import os
import sys

_held = []


def _lock_pip() -> None:
    if os.environ.get("CONVEYOR_PIP_LOCKED") or _held:
        return
    handle = open(os.path.join(sys.prefix, ".conveyor-pip.lock"), "a")
    fcntl.flock(handle, fcntl.LOCK_EX)
    _held.append(handle)
    os.environ["CONVEYOR_PIP_LOCKED"] = "1"


class _Hooks(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "pip":
            _lock_pip()
            return None
        mount = os.environ.get("CONVEYOR_GCS_MOUNT")
        if name != "kfp.dsl.types.artifact_types" or not mount:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        original = spec.loader.exec_module

        def exec_module(module):
            original(module)
            module._GCS_LOCAL_MOUNT_PREFIX = mount.rstrip("/") + "/"

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _Hooks())
