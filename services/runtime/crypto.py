"""Sealed boxes (libsodium) for raw reports: intake holds the public key, the anonymizer the private one."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox


class DecryptError(Exception):
    """The payload is not a sealed box for this key."""


def encrypt(plaintext: bytes, public_key: PublicKey) -> bytes:
    return bytes(SealedBox(public_key).encrypt(plaintext))


def decrypt(ciphertext: bytes, private_key: PrivateKey) -> bytes:
    try:
        return bytes(SealedBox(private_key).decrypt(ciphertext))
    except (CryptoError, ValueError, TypeError) as exc:
        raise DecryptError("payload could not be decrypted with the anonymizer key") from exc


def public_key_from(value: str) -> PublicKey:
    return PublicKey(base64.b64decode(value.strip()))


def private_key_from(value: str) -> PrivateKey:
    return PrivateKey(base64.b64decode(value.strip()))


def dev_key_files(state_dir: Path) -> tuple[Path, Path]:
    """A development key pair under the state folder, made on first use. Production uses secrets."""
    keys = state_dir / "keys"
    private_path, public_path = keys / "anonymizer.key", keys / "anonymizer.pub"
    if not private_path.exists():
        keys.mkdir(parents=True, exist_ok=True)
        key = PrivateKey.generate()
        fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(base64.b64encode(bytes(key)).decode() + "\n")
        public_path.write_text(base64.b64encode(bytes(key.public_key)).decode() + "\n")
    return private_path, public_path


def load_public_key(value: str | None, file: Path | None, state_dir: Path) -> PublicKey:
    if value:
        return public_key_from(value)
    path = file or dev_key_files(state_dir)[1]
    return public_key_from(path.read_text())


def load_private_key(value: str | None, file: Path | None, state_dir: Path) -> PrivateKey:
    if value:
        return private_key_from(value)
    path = file or dev_key_files(state_dir)[0]
    return private_key_from(path.read_text())


def load_or_create_secret(value: str | None, state_dir: Path, name: str) -> bytes:
    """A symmetric secret (base64 in settings in production; a file made on first use in development)."""
    if value:
        return base64.b64decode(value.strip())
    path = state_dir / "keys" / f"{name}.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return base64.b64decode(path.read_text().strip())
        with os.fdopen(fd, "w") as f:
            f.write(base64.b64encode(os.urandom(32)).decode() + "\n")
    return base64.b64decode(path.read_text().strip())


def write_key_files(out_dir: Path) -> list[Path]:
    """Production key material for a deployment: the anonymizer's key pair, the router's location key,
    and the service token feedback presents to intake when it forwards a reporter's answer."""
    out_dir.mkdir(parents=True, exist_ok=True)
    key = PrivateKey.generate()
    files = {
        "anonymizer.key": (base64.b64encode(bytes(key)).decode(), 0o600),
        "anonymizer.pub": (base64.b64encode(bytes(key.public_key)).decode(), 0o644),
        "location.key": (base64.b64encode(os.urandom(32)).decode(), 0o600),
        "supplement.token": (base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("="), 0o600),
    }
    # Refuse before writing anything, so that a half-rotated set of keys never results.
    existing = [out_dir / name for name in files if (out_dir / name).exists()]
    if existing:
        raise FileExistsError(f"{existing[0]} exists; remove it first to rotate keys")
    written = []
    for name, (value, mode) in files.items():
        path = out_dir / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(fd, "w") as f:
            f.write(value + "\n")
        written.append(path)
    return written


def keys_main(args: object) -> int:
    """``meldpunt keys --out DIR``."""
    out = Path(getattr(args, "out", "deploy/secrets"))
    try:
        for path in write_key_files(out):
            print(f"wrote {path}")
    except FileExistsError as exc:
        print(str(exc))
        return 1
    return 0
