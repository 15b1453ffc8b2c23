"""Third-party browser assets, fetched from the npm registry at set-up time, never committed.

Each asset is pinned by version and by the registry's sha512 integrity, unpacked into
``ducha/static/vendor/`` and served by ducha itself: nothing loads from a CDN at run time.
"""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

VENDOR_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor"
REGISTRY = "https://registry.npmjs.org"


@dataclass(frozen=True)
class Asset:
    package: str
    version: str
    integrity: str  # the npm registry's dist.integrity
    files: dict[str, str]  # path inside the tarball -> path under VENDOR_DIR

    @property
    def url(self) -> str:
        return f"{REGISTRY}/{self.package}/-/{self.package}-{self.version}.tgz"


ASSETS = [
    Asset(
        "echarts",
        "5.6.0",
        "sha512-oTbVTsXfKuEhxftHqL5xprgLoc0k7uScAwtryCgWF6hPYFLRwOUHiFmHGCBKP5NPFNkDVopOieyUqYGH8Fa3kA==",
        {
            "package/dist/echarts.min.js": "echarts/echarts.min.js",
            "package/LICENSE": "echarts/LICENSE",
        },
    ),
]


def missing(assets=ASSETS) -> list[Asset]:
    return [a for a in assets if not all((VENDOR_DIR / t).exists() for t in a.files.values())]


def verify(data: bytes, integrity: str) -> None:
    algorithm, _, expected = integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if digest != expected:
        raise ValueError(f"integrity check failed ({algorithm}): got {digest}")


def install(asset: Asset, opener=urllib.request.urlopen) -> None:
    with opener(asset.url, timeout=120) as response:
        data = response.read()
    verify(data, asset.integrity)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for inner, target in asset.files.items():
            member = tar.extractfile(inner)
            if member is None:
                raise ValueError(f"{asset.package}: {inner} not in the package")
            path = VENDOR_DIR / target
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(member.read())
