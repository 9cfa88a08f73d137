"""The package manager: install from a folder, a local git repository, an archive; update; remove.
Validation comes before anything reaches $PRTIP_HOME/plugins. No network: git uses local paths
and file:// URLs only."""

from __future__ import annotations

import json
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest
from tooling_helpers import commit_all, git, invoke, make_git_repo, write_plugin

from prtip.tooling.errors import InstallError, InvalidPlugin
from prtip.tooling.installer import RECORD_FILE, Installer, installed_plugins, source_kind


def installed(home: Path) -> list[str]:
    plugins = home / "plugins"
    return sorted(p.name for p in plugins.iterdir() if not p.name.startswith(".")) if plugins.is_dir() else []


def nothing_staged(home: Path) -> bool:
    return not any(p.name.startswith(".staging-") for p in home.iterdir())


def test_install_from_folder(home, tmp_path):
    src = write_plugin(tmp_path / "src", "from-folder")
    r = invoke("install", str(src))
    assert r.exit_code == 0, r.output
    assert r.output.strip() == f"installed from-folder v1.0.0 into {home / 'plugins' / 'from-folder'}"
    assert (home / "plugins" / "from-folder" / "main.lua").read_text() == (src / "main.lua").read_text()
    record = installed_plugins(home)["from-folder"]
    assert (record.kind, record.source, record.version) == ("folder", str(src), "1.0.0")
    assert nothing_staged(home)


def test_folder_named_differently_is_installed_under_the_plugins_name(home, tmp_path):
    src = write_plugin(tmp_path, "real-name", folder="checkout")
    Installer().install(str(src))
    assert installed(home) == ["real-name"]


def test_install_from_local_git_repository(home, tmp_path):
    src = make_git_repo(write_plugin(tmp_path, "from-git", folder="repo"))
    r = invoke("install", f"file://{src}")
    assert r.exit_code == 0, r.output
    assert installed(home) == ["from-git"]
    assert not (home / "plugins" / "from-git" / ".git").exists()
    record = installed_plugins(home)["from-git"]
    assert record.kind == "git" and record.source == f"file://{src}" and len(record.commit) == 40


def test_install_from_bare_repository_path(home, tmp_path):
    work = make_git_repo(write_plugin(tmp_path, "bare-one", folder="work"))
    bare = tmp_path / "bare-one.git"
    git(tmp_path, "clone", "-q", "--bare", str(work), str(bare))
    record = Installer().install(str(bare))
    assert installed(home) == ["bare-one"]
    assert record.kind == "git" and record.source == str(bare)


def test_working_tree_is_copied_with_its_edits(home, tmp_path):
    work = make_git_repo(write_plugin(tmp_path, "editing"))
    (work / "main.lua").write_text((work / "main.lua").read_text() + "-- not committed yet\n")
    record = Installer().install(str(work))
    assert record.kind == "folder"
    assert (home / "plugins" / "editing" / "main.lua").read_text().endswith("-- not committed yet\n")
    assert not (home / "plugins" / "editing" / ".git").exists()


@pytest.mark.parametrize("suffix", [".tar.gz", ".tgz", ".zip"])
@pytest.mark.parametrize("top_folder", [True, False])
def test_install_from_archive(home, tmp_path, suffix, top_folder):
    src = write_plugin(tmp_path / "build", "packed")
    archive = tmp_path / f"packed-1.0.0{suffix}"
    if suffix == ".zip":
        with zipfile.ZipFile(archive, "w") as zf:
            for f in src.iterdir():
                zf.write(f, f"packed/{f.name}" if top_folder else f.name)
    else:
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(src, arcname="packed" if top_folder else ".")
    r = invoke("install", str(archive))
    assert r.exit_code == 0, r.output
    assert installed(home) == ["packed"]
    assert installed_plugins(home)["packed"].kind == "archive"


def test_invalid_plugin_installs_nothing(home, tmp_path):
    src = write_plugin(tmp_path, "broken", "function analyze_banner(\n")
    r = invoke("install", str(src))
    assert r.exit_code == 3
    assert "broken is not a valid plugin, nothing was installed" in r.output
    assert f"{src}/main.lua:2: syntax:" in r.output
    assert installed(home) == [] and not (home / "plugins" / RECORD_FILE).exists()
    assert nothing_staged(home)


def test_hostile_archive_installs_nothing(home, tmp_path):
    archive = tmp_path / "evil.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        src = write_plugin(tmp_path / "b", "evil")
        tar.add(src, arcname="evil")
        info = tarfile.TarInfo("evil/escape")
        info.type, info.linkname = tarfile.SYMTYPE, "../../../etc/passwd"
        tar.addfile(info)
    r = invoke("install", str(archive))
    assert r.exit_code == 3 and "leaves the plugin folder" in r.output
    assert installed(home) == []
    assert nothing_staged(home)


def test_archive_without_a_plugin(home, tmp_path):
    archive = tmp_path / "two.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a/plugin.toml", "x")
        zf.writestr("b/plugin.toml", "x")
    with pytest.raises(InstallError, match="no plugin.toml at the top or in a single top-level folder"):
        Installer().install(str(archive))


def test_already_installed_needs_force(home, tmp_path):
    src = write_plugin(tmp_path, "twice")
    Installer().install(str(src))
    r = invoke("install", str(src))
    assert r.exit_code == 3 and "already installed" in r.output
    (src / "main.lua").write_text((src / "main.lua").read_text() + "\n-- v2\n")
    assert invoke("install", "--force", str(src)).exit_code == 0
    assert (home / "plugins" / "twice" / "main.lua").read_text().endswith("-- v2\n")


def test_update_from_git(home, tmp_path):
    repo = make_git_repo(write_plugin(tmp_path, "evolving"))
    Installer().install(f"file://{repo}")
    first = installed_plugins(home)["evolving"].commit
    manifest = repo / "plugin.toml"
    manifest.write_text(manifest.read_text().replace('\nversion = "1.0.0"', '\nversion = "1.1.0"'))
    commit_all(repo)
    r = invoke("update", "evolving")
    assert r.exit_code == 0, r.output
    assert r.output.strip() == f"updated evolving v1.0.0 -> v1.1.0 from file://{repo}"
    record = installed_plugins(home)["evolving"]
    assert record.version == "1.1.0" and record.commit != first


def test_update_keeps_the_old_copy_when_the_new_one_is_broken(home, tmp_path):
    src = write_plugin(tmp_path, "stable")
    Installer().install(str(src))
    good = (home / "plugins" / "stable" / "main.lua").read_text()
    (src / "main.lua").write_text("function analyze_banner( -- broken\n")
    r = invoke("update", "stable")
    assert r.exit_code == 3
    assert "the new stable is not valid; the installed one is kept" in r.output
    assert (home / "plugins" / "stable" / "main.lua").read_text() == good
    assert installed_plugins(home)["stable"].version == "1.0.0"


def test_update_needs_a_record(home, tmp_path):
    write_plugin(home / "plugins", "hand-copied")
    r = invoke("update", "hand-copied")
    assert r.exit_code == 3 and "was not installed with `prtip plugin install`" in r.output


def test_remove(home, tmp_path):
    Installer().install(str(write_plugin(tmp_path, "gone-soon")))
    r = invoke("remove", "gone-soon")
    assert r.exit_code == 0, r.output
    assert installed(home) == [] and "gone-soon" not in installed_plugins(home)
    assert invoke("remove", "gone-soon").exit_code == 3
    assert invoke("remove", "../etc").exit_code == 3


def test_record_file_is_json_next_to_the_plugins(home, tmp_path):
    Installer().install(str(write_plugin(tmp_path, "recorded")))
    data = json.loads((home / "plugins" / RECORD_FILE).read_text())
    assert set(data) == {"recorded"}
    assert set(data["recorded"]) == {"name", "version", "source", "kind", "installed", "commit"}


def test_source_kinds(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "a.tgz").write_bytes(b"")
    (tmp_path / "x.txt").write_text("")
    assert source_kind(str(tmp_path / "d")) == "folder"
    assert source_kind(str(tmp_path / "a.tgz")) == "archive"
    assert source_kind("file:///srv/plugins/x.git") == "git"
    assert source_kind("git@example.com:me/plugin.git") == "git"
    with pytest.raises(InstallError, match="not a plugin folder or an archive"):
        source_kind(str(tmp_path / "x.txt"))
    with pytest.raises(InstallError, match="no such folder or archive"):
        source_kind(str(tmp_path / "missing"))


def test_git_clone_failure_is_reported(home, tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    with pytest.raises(InstallError, match="git clone"):
        Installer().install(f"file://{tmp_path}/no-such-repo.git")
    assert installed(home) == []


def test_manifest_problem_names_the_source(home, tmp_path):
    src = write_plugin(tmp_path, "x", manifest='[plugin]\nname = "x"\nversion = "one"\n')
    with pytest.raises(InvalidPlugin) as info:
        Installer().install(str(src))
    assert [str(p) for p in info.value.problems] == [
        f"{src}/plugin.toml:3: plugin.version: 'one' is not a semantic version (major.minor.patch)"]
    assert installed(home) == []
