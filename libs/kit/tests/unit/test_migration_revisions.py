"""``canopy <service> revision`` writes the next migration in the folder's own numbering, after its
head; with ``--autogenerate`` it writes what the tables in code add to a database at head, nothing
when they agree; and the schema check sees a table changed in code without its migration."""
import ast
import shutil

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, create_engine

from canopy_kit import cli
from canopy_kit.db.migrations import KIT_MIGRATIONS, next_revision_id
from canopy_kit.service import ServiceSpec
from canopy_kit.testing.schema import schema_differences

FIRST = '''revision = "0001"
down_revision = None

import sqlalchemy as sa
from alembic import op


def upgrade() -> None:
    op.create_table("notes", sa.Column("id", sa.Integer(), nullable=False),
                    sa.Column("body", sa.Text(), nullable=False), sa.PrimaryKeyConstraint("id"))
'''
SECOND = '''revision = "0002"
down_revision = "0001"

import sqlalchemy as sa
from alembic import op


def upgrade() -> None:
    op.add_column("notes", sa.Column("author", sa.String(length=100), nullable=True))
'''


def notes_tables(*extra: Column) -> MetaData:
    """The tiny service's tables in code: what its two revisions make, and ``extra`` columns."""
    metadata = MetaData()
    Table("notes", metadata, Column("id", Integer, primary_key=True), Column("body", Text, nullable=False),
          Column("author", String(100), nullable=True), *extra)
    return metadata


@pytest.fixture
def notes_service(tmp_path, monkeypatch):
    """A service ``notes`` with two revisions, and ``canopy`` seeing only it; ``.use(metadata)``
    changes its tables in code."""
    migrations = tmp_path / "migrations"
    (migrations / "versions").mkdir(parents=True)
    shutil.copy(KIT_MIGRATIONS / "script.py.mako", migrations)
    # The revision command hands env.py the spec's tables, so this env.py needs none of its own.
    (migrations / "env.py").write_text("from canopy_kit.db.migrations import run_env\n\nrun_env(None)\n")
    (migrations / "versions" / "0001_notes.py").write_text(FIRST)
    (migrations / "versions" / "0002_note_author.py").write_text(SECOND)

    class Notes:
        spec = None

        def use(self, metadata: MetaData) -> ServiceSpec:
            self.spec = ServiceSpec(name="notes", title="notes", metadata=metadata, migrations_dir=migrations,
                                    blueprints=list)
            return self.spec

    notes = Notes()
    notes.use(notes_tables())
    monkeypatch.setattr(cli, "discover_services", lambda: {"notes": notes.spec})
    return notes


def revision_file(notes, *args: str):
    """Run ``canopy notes revision ARGS``; the new file's name, its header values and its upgrade."""
    before = set((notes.spec.migrations_dir / "versions").glob("*.py"))
    assert cli.main(["notes", "revision", *args]) == 0
    (path,) = set((notes.spec.migrations_dir / "versions").glob("*.py")) - before
    tree = ast.parse(path.read_text())
    values = {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body
              if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)}
    upgrade = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "upgrade")
    return path.name, values, [ast.unparse(statement) for statement in upgrade.body]


def test_a_revision_is_numbered_after_the_head_and_revises_it(notes_service):
    name, values, upgrade = revision_file(notes_service, "-m", "Tag notes")
    assert name == "0003_tag_notes.py"
    assert (values["revision"], values["down_revision"]) == ("0003", "0002")
    assert upgrade == ["pass"]  # written by hand


def test_autogenerate_on_an_unchanged_schema_writes_an_empty_upgrade(notes_service):
    name, values, upgrade = revision_file(notes_service, "-m", "nothing", "--autogenerate")
    assert (name, values["down_revision"]) == ("0003_nothing.py", "0002")
    assert upgrade == ["pass"]


def differences_on_a_fresh_database(spec: ServiceSpec, path) -> list:
    engine = create_engine(f"sqlite:///{path}")
    try:
        return schema_differences(spec, engine)
    finally:
        engine.dispose()


def test_autogenerate_writes_what_the_code_added_and_the_schema_then_matches(notes_service, tmp_path):
    spec = notes_service.use(notes_tables(Column("pinned", Integer, nullable=True)))
    assert [found[0] for found in differences_on_a_fresh_database(spec, tmp_path / "before.db")] == ["add_column"]

    _, values, upgrade = revision_file(notes_service, "-m", "pin notes", "--autogenerate")
    assert values["down_revision"] == "0002"
    assert "add_column(sa.Column('pinned'" in "\n".join(upgrade)
    assert differences_on_a_fresh_database(spec, tmp_path / "after.db") == []


def test_the_next_id_keeps_the_folders_style(tmp_path):
    assert next_revision_id(KIT_MIGRATIONS) == f"k{len(list((KIT_MIGRATIONS / 'versions').glob('k*.py'))) + 1:04d}"
    (tmp_path / "versions").mkdir()
    shutil.copy(KIT_MIGRATIONS / "script.py.mako", tmp_path)
    assert next_revision_id(tmp_path) == "0001"


def test_a_database_url_is_for_autogenerate_only(notes_service, capsys):
    assert cli.main(["notes", "revision", "-m", "x", "--database-url", "sqlite://"]) == 2
    assert "--autogenerate" in capsys.readouterr().err
