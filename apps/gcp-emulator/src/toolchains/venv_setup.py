"""Creates, once per machine, the virtualenv the emulator runs one Python image in.

Run by the host interpreter chosen for the image:

    python3 venv_setup.py <venv-dir> <hooks-file>

Several emulators (and several tasks) may ask for the same venv at once: an exclusive lock on
`<venv-dir>.lock` serialises creation, and a `.conveyor-ready` marker written last tells a complete
venv from one a crash left half-made (which is then rebuilt). The hooks module is (re)installed into
the venv's site-packages whenever its content changed. Prints one JSON line: {"site": <purelib>}.
"""

import fcntl
import json
import os
import shutil
import subprocess
import sys
import venv

HOOKS_MODULE = "conveyor_emulator_hooks"


def site_packages(target: str) -> str:
    python = os.path.join(target, "bin", "python3")
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return subprocess.check_output([python, "-I", "-c", code], text=True).strip()


def install_hooks(site: str, hooks_file: str) -> None:
    with open(hooks_file, encoding="utf-8") as f:
        wanted = f.read()
    module = os.path.join(site, HOOKS_MODULE + ".py")
    try:
        with open(module, encoding="utf-8") as f:
            current = f.read()
    except FileNotFoundError:
        current = None
    if current != wanted:
        with open(module + ".tmp", "w", encoding="utf-8") as f:
            f.write(wanted)
        os.replace(module + ".tmp", module)
    # A .pth line starting with "import" runs at every interpreter start in this venv.
    with open(os.path.join(site, HOOKS_MODULE + ".pth"), "w", encoding="utf-8") as f:
        f.write("import " + HOOKS_MODULE + "\n")


def main() -> None:
    target, hooks_file = sys.argv[1], sys.argv[2]
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target + ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        ready = os.path.join(target, ".conveyor-ready")
        if not os.path.exists(ready):
            shutil.rmtree(target, ignore_errors=True)
            venv.EnvBuilder(with_pip=True, symlinks=True, clear=True).create(target)
        site = site_packages(target)
        install_hooks(site, hooks_file)
        if not os.path.exists(ready):
            with open(ready, "w", encoding="utf-8") as f:
                f.write(sys.version + "\n")
    print(json.dumps({"site": site}))


if __name__ == "__main__":
    main()
