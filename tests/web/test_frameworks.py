"""Framework versions: import (form, command), refusal of reused versions, the cached Framework."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from rightsmarker.framework.io import yaml_dump
from rightsmarker.web.frameworks.importing import ImportRefused, import_framework
from rightsmarker.web.frameworks.models import FrameworkVersion

pytestmark = pytest.mark.django_db


def test_a_version_gives_back_its_validated_framework_and_caches_it(framework_version):
    fw = framework_version.as_framework()
    assert fw.code == "tiny" and "poverty-rate" in fw.indicator_codes
    assert framework_version.as_framework() is fw
    assert len(framework_version.sha256) == 64 and framework_version.label_ko == "작은 지표"


def test_it_refuses_to_import_the_same_code_and_version_again(framework_version,
                                                               tiny_framework_dict):
    tiny_framework_dict["labels"]["en"] = "Changed"
    with pytest.raises(ImportRefused, match="already imported"):
        import_framework(yaml_dump(tiny_framework_dict))
    tiny_framework_dict["version"] = "2"
    assert import_framework(yaml_dump(tiny_framework_dict)).version == "2"


def test_it_refuses_an_invalid_framework_and_lists_the_problems(db, tiny_framework_dict):
    tiny_framework_dict["nodes"][2]["value_type"] = "colour"
    with pytest.raises(ImportRefused) as info:
        import_framework(yaml_dump(tiny_framework_dict))
    assert any("value_type" in p for p in info.value.problems)
    assert not FrameworkVersion.objects.exists()


def test_the_management_command_imports_a_bundled_framework(db):
    call_command("import_framework", "social-inclusion-marker")
    assert FrameworkVersion.objects.get().code == "social-inclusion-marker"
    with pytest.raises(CommandError, match="already imported"):
        call_command("import_framework", "social-inclusion-marker")


def test_the_management_command_reports_an_unknown_name(db):
    with pytest.raises(CommandError, match="nonexistent-framework"):
        call_command("import_framework", "nonexistent-framework")


def test_an_admin_imports_a_framework_with_the_form(world, client_for, tiny_framework_dict):
    tiny_framework_dict["version"] = "3"
    upload = SimpleUploadedFile("tiny.yaml", yaml_dump(tiny_framework_dict).encode())
    response = client_for("admin").post("/frameworks/import/", {"file": upload})
    fv = FrameworkVersion.objects.get(version="3")
    assert response.status_code == 302 and fv.imported_by == world.users["admin"]


def test_the_form_shows_why_a_framework_was_refused(world, client_for, tiny_framework_dict):
    tiny_framework_dict["nodes"][2]["value_type"] = "colour"
    upload = SimpleUploadedFile("bad.yaml", yaml_dump(tiny_framework_dict).encode())
    page = client_for("admin").post("/frameworks/import/", {"file": upload}).content.decode()
    assert 'role="alert"' in page and "value_type" in page


def test_the_form_refuses_a_file_that_is_not_yaml(world, client_for):
    upload = SimpleUploadedFile("notes.txt", b"hello")
    page = client_for("admin").post("/frameworks/import/", {"file": upload}).content.decode()
    assert ".yaml or .yml" in page


def test_the_framework_page_names_kinds_value_types_and_units_in_the_page_language(world,
                                                                                   client):
    from rightsmarker.framework.io import yaml_load

    data = yaml_load(world.fv.yaml)
    rate = next(n for n in data["nodes"] if n.get("unit") == "%")
    rate["units"] = {"ko": "% (주민)"}
    version = import_framework(yaml_dump(data).replace(f"version: '{data['version']}'",
                                                        "version: '99'"), None)
    url = f"/frameworks/{version.pk}/"
    english = client.get(url).content.decode()
    assert "<td>structural</td><td>yes/no</td>" in english
    assert "<td>outcome</td><td>percent</td><td>%</td>" in english
    korean = client.get(url, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "<td>구조</td><td>예/아니오</td>" in korean
    assert "<td>결과</td><td>백분율</td><td>% (주민)</td>" in korean
    assert "structural" not in korean and "yes_no" not in korean
