"""Slides and legacy Office files made into PDF by LibreOffice, so they take the PDF path.

LibreOffice reads many formats and follows links inside them, so each conversion is fenced in:
one import filter named by us (never chosen by guessing), a throwaway profile per job (parallel
conversions share no lock and no settings) that blocks linked content and macros, a network
namespace of its own where the system allows one, and a time limit after which its whole
process group is killed. Legacy files are OLE compound files whichever program made them; their
root directory says whether one is a Word or a PowerPoint file.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import shutil
import signal
import struct
import subprocess
from pathlib import Path

from transcoder.errors import BadMedia, TransientFailure

log = logging.getLogger(__name__)

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
OLE = "application/x-ole-storage"  # legacy .doc and .ppt, told apart by ole_format()
OFFICE_TYPES = {PPTX, OLE}

SOFFICE = "soffice"
CONVERT_SECONDS = 180  # per file; a courseware deck of a few hundred slides takes well under 60
OLE_MAX_BYTES = 200 * 1024 * 1024  # the upload limit for documents
# An orphaned conversion (its worker killed) is ended by coreutils' timeout this much later.
ORPHAN_GRACE_SECONDS = 30

IMPORT_FILTERS = {
    "pptx": "Impress MS PowerPoint 2007 XML",
    "ppt": "MS PowerPoint 97",
    "doc": "MS Word 97",
}

# Written into each throwaway profile before LibreOffice first starts: no linked images, files
# or sections are fetched (a link to an intranet address or a local file stays a blank frame),
# no macro runs, and text without a language mark is laid out as Simplified Chinese.
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">\
<prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Linguistic/General">\
<prop oor:name="DefaultLocale_CJK" oor:op="fuse"><value>zh-CN</value></prop></item>
</oor:items>
"""

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
END_OF_CHAIN = 0xFFFFFFFE
NO_STREAM = 0xFFFFFFFF
ROOT_STORAGE = 5


def convert_to_pdf(src: Path, kind: str, workdir: Path) -> Path:
    """The PDF LibreOffice makes of ``src`` read as ``kind`` (a key of IMPORT_FILTERS)."""
    limit = CONVERT_SECONDS
    if shutil.which(SOFFICE) is None:  # an installation fault, never the file's
        raise TransientFailure(
            "LibreOffice 未安装，无法转换课件", f"LibreOffice ({SOFFICE}) is not installed"
        )
    base = workdir / "office"
    profile, out, home = base / "profile", base / "out", base / "home"
    for directory in (profile / "user", out, home / "tmp"):
        directory.mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE_SETTINGS)
    args = [
        "timeout",
        "--signal=KILL",
        str(limit + ORPHAN_GRACE_SECONDS),
        *_without_network(),
        SOFFICE,
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        "--nologo",
        f"--infilter={IMPORT_FILTERS[kind]}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out.resolve()),
        str(src.resolve()),
    ]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TMPDIR": str(home / "tmp"),
        "LANG": "C.UTF-8",
    }
    log_path = base / "soffice.log"
    with log_path.open("wb") as output:
        try:
            # A group of its own, so a time-out ends soffice.bin and every helper it started.
            proc = subprocess.Popen(
                args, stdout=output, stderr=subprocess.STDOUT, env=env, cwd=base, process_group=0
            )
        except OSError as exc:
            raise TransientFailure(
                "无法启动 LibreOffice", f"LibreOffice could not start: {exc}"
            ) from exc
        try:
            proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            _kill_group(proc.pid)
            proc.wait()
            raise BadMedia(
                f"课件转换超时（超过 {limit} 秒），文件可能过大或过于复杂；请另存为 PDF 后重新上传",
                f"Converting the file took longer than {limit} s (too large or too complex?); "
                "save it as PDF and upload that",
                stderr_tail=_tail(log_path),
            ) from None
        finally:
            _kill_group(proc.pid)  # nothing it started outlives the conversion
    pdf = out / f"{src.stem}.pdf"
    # LibreOffice exits 0 when it cannot load a file: only the output tells.
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise BadMedia(
            "无法转换该文件（文件可能已损坏、设有密码或与其格式不符）",
            "The file cannot be converted (damaged, password-protected or not what it claims)",
            stderr_tail=_tail(log_path),
        )
    return pdf


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the group has ended already
        os.killpg(pgid, signal.SIGKILL)


def _tail(path: Path) -> str:
    return path.read_bytes()[-4000:].decode("utf-8", "replace")


@functools.cache
def _without_network() -> tuple[str, ...]:
    """The prefix that runs a command in a network namespace of its own (only a loopback that
    is down), or none where this system allows no namespace; checked once per process."""
    for prefix in (("unshare", "--net"), ("unshare", "--user", "--map-root-user", "--net")):
        try:
            done = subprocess.run([*prefix, "true"], capture_output=True, timeout=10, check=False)
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            return prefix
    log.warning(
        "no network namespace can be made here: LibreOffice runs with the host's network "
        "(its profile still blocks linked content)"
    )
    return ()


def ole_format(src: Path) -> str:
    """``doc`` or ``ppt``, from the streams at the root of an OLE compound file."""
    size = src.stat().st_size
    if size > OLE_MAX_BYTES:
        raise BadMedia(
            f"文件过大（超过 {OLE_MAX_BYTES // 1024 // 1024} MB）",
            f"The file is larger than {OLE_MAX_BYTES // 1024 // 1024} MB",
        )
    try:
        names = ole_root_names(src)
    except (ValueError, struct.error) as exc:
        raise BadMedia(
            "无法读取该 Office 文件（文件可能已损坏）", "The Office file cannot be read (damaged?)"
        ) from exc
    if "PowerPoint Document" in names:
        return "ppt"
    if "WordDocument" in names:
        return "doc"
    if "EncryptedPackage" in names:  # a password-protected DOCX or PPTX is an OLE file too
        raise BadMedia(
            "文件设有打开密码，请去掉密码后重新上传",
            "The file is password-protected; remove the password and upload it again",
        )
    raise BadMedia(
        "该文件不是 Word（.doc）或 PowerPoint（.ppt）文档",
        "The file is neither a Word (.doc) nor a PowerPoint (.ppt) document",
    )


def ole_root_names(src: Path) -> set[str]:
    """Names of the streams and storages at the root of an OLE compound file.

    Only the root's own children count: a PowerPoint file with a Word document embedded holds
    a ``WordDocument`` stream too, one storage down. Raises ValueError on a malformed file.
    """
    with src.open("rb") as f:
        header = f.read(512)
        if len(header) < 512 or not header.startswith(OLE_SIGNATURE):
            raise ValueError("not an OLE compound file")
        shift = struct.unpack_from("<H", header, 30)[0]
        if shift not in {9, 12}:
            raise ValueError(f"sector shift {shift}")
        sector_size = 1 << shift
        per_sector = sector_size // 4
        sectors = src.stat().st_size // sector_size - 1  # the header fills the first

        def read(number: int) -> bytes:
            if not 0 <= number < sectors:
                raise ValueError(f"sector {number} is outside the file")
            f.seek((number + 1) * sector_size)
            return f.read(sector_size)

        fat_sectors = [n for n in struct.unpack_from("<109I", header, 76) if n < sectors]
        difat, difat_count = struct.unpack_from("<II", header, 68)
        for _ in range(min(difat_count, sectors)):
            if difat >= sectors:
                break
            entries = struct.unpack(f"<{per_sector}I", read(difat))
            fat_sectors += [n for n in entries[:-1] if n < sectors]
            difat = entries[-1]
        fat: list[int] = []
        for number in fat_sectors:
            fat.extend(struct.unpack(f"<{per_sector}I", read(number)))
        directory = []
        number, seen = struct.unpack_from("<I", header, 48)[0], set()
        while number != END_OF_CHAIN:
            if number in seen or number >= len(fat):
                raise ValueError("broken directory chain")
            seen.add(number)
            data = read(number)
            directory += [data[i : i + 128] for i in range(0, sector_size, 128)]
            number = fat[number]
    if not directory or directory[0][66] != ROOT_STORAGE:
        raise ValueError("no root entry")
    names, visited = set(), set()
    pending = [struct.unpack_from("<I", directory[0], 76)[0]]  # the root's child ...
    while pending:
        index = pending.pop()
        if index == NO_STREAM or index in visited or index >= len(directory):
            continue
        visited.add(index)
        entry = directory[index]
        length = struct.unpack_from("<H", entry, 64)[0]  # in bytes, with the closing NUL
        if 2 <= length <= 64:
            names.add(entry[: length - 2].decode("utf-16-le", "replace"))
        pending += struct.unpack_from("<II", entry, 68)  # ... and its siblings, left and right
    return names
