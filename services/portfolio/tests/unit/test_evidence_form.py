"""An evidence upload whose form is malformed is answered 422 naming the fields, never a 500."""


def _multipart(*parts: bytes) -> bytes:
    return b"".join(b"--b\r\n" + part + b"\r\n" for part in parts) + b"--b--\r\n"


def test_a_form_part_without_a_name_is_a_422_naming_every_field(portfolio):
    p = portfolio
    body = _multipart(b'Content-Disposition: form-data; name="file"; filename="notes.txt"\r\n'
                      b"Content-Type: text/plain\r\n\r\nnotes",
                      b"Content-Disposition: form-data\r\n\r\nnameless",
                      b'Content-Disposition: form-data; name="colour"\r\n\r\nblue')
    reply = p.client.post(f"/v1/people/{p.pia}/evidence", data=body,
                          headers={**p.as_(p.pia), "Content-Type": "multipart/form-data; boundary=b"})
    assert reply.status_code == 422, reply.get_data(as_text=True)
    assert reply.json["code"] == "invalid_input" and {"title", "colour"} <= set(reply.json["errors"])
