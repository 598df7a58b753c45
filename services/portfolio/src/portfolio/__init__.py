"""Canopy portfolio: every member of staff's professional learning, owned by them and kept as they
move from school to school; CPD requests, the trust's programme, and impact evaluation."""
