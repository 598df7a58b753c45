"""An upload sent again with its Idempotency-Key is the same request whatever multipart boundary
the client chose the second time (a browser's resent form, a backend-for-frontend's retry)."""
from io import BytesIO

from flask import Flask, request

from canopy_kit.web.idempotency import request_fingerprint


def _fingerprint_of(app: Flask, fields: dict, files: dict, boundary: str) -> tuple[str, dict]:
    body = BytesIO()
    for name, value in fields.items():
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                   f'Content-Type: application/octet-stream\r\n\r\n'.encode() + content + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    with app.test_request_context("/", method="POST", data=body.getvalue(),
                                  content_type=f"multipart/form-data; boundary={boundary}"):
        fingerprint = request_fingerprint()
        read_after = {name: upload.read() for name, upload in request.files.items()}
    return fingerprint, read_after


def test_the_same_form_under_another_boundary_is_the_same_request():
    app = Flask(__name__)
    fields, files = {"title": "Phonics", "activity_id": "a1"}, {"file": ("notes.pdf", b"%PDF-1.4 notes")}
    first, read_after = _fingerprint_of(app, fields, files, "boundaryAAA")
    again, _ = _fingerprint_of(app, dict(reversed(fields.items())), files, "other-boundary-123")
    assert first == again
    assert read_after == {"file": b"%PDF-1.4 notes"}  # the view still reads the whole file


def test_another_file_or_field_is_another_request():
    app = Flask(__name__)
    fields, files = {"title": "Phonics"}, {"file": ("notes.pdf", b"%PDF-1.4 notes")}
    first, _ = _fingerprint_of(app, fields, files, "b1")
    assert first != _fingerprint_of(app, fields, {"file": ("notes.pdf", b"%PDF-1.4 other")}, "b1")[0]
    assert first != _fingerprint_of(app, {"title": "Maths"}, files, "b1")[0]
    assert first != _fingerprint_of(app, fields, {"file": ("renamed.pdf", b"%PDF-1.4 notes")}, "b1")[0]
