"""On a phone: an administrator uploads a service's spreadsheets, reads the check, imports;
a broken file gets its problems listed; a hub manager sees what they may import."""

import pytest

from alexi.models import User
from casework.models import Case
from demo.data import demo_email, load_demo
from tests.e2e.conftest import open_menu
from tests.e2e.test_casework_browser import check_page, sign_in
from tests.imports.corpus import CORPUS
from tests.imports.folder import VALID, import_staff_and_confirm, write

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_admin_checks_then_imports_and_a_broken_file_is_explained(live_server, browser, tmp_path):
    load_demo()
    context = browser.new_context(viewport={"width": 360, "height": 780}, bypass_csp=True)
    page = context.new_page()
    sign_in(page, live_server.url, "admin")
    page.goto(live_server.url + "/programme/import/")
    assert page.locator("h1").inner_text() == "Import records"
    check_page(page, "60-import")

    # The staff come first and their hubs confirm them; only then are cases allocated to them.
    import_staff_and_confirm(tmp_path / "staff", User.objects.get(email=demo_email("admin")))
    folder = write(tmp_path / "good", VALID)
    page.get_by_label("Files to import").set_input_files(sorted(folder.iterdir()))
    page.get_by_role("button", name="Check the files").click()
    assert "Checked: no problems found" in page.locator("#import-job").inner_text()
    assert Case.objects.filter(import_ref__isnull=False).count() == 0
    check_page(page, "61-import-checked")
    page.get_by_role("button", name="Import these records").click()
    assert "Imported" in page.locator("#import-job").inner_text()
    assert Case.objects.filter(import_ref__isnull=False).count() == 5
    check_page(page, "62-import-done")

    files, expected = CORPUS["worker at the wrong spoke"]
    broken = write(tmp_path / "broken", files)
    page.goto(live_server.url + "/programme/import/")
    page.get_by_label("Files to import").set_input_files(sorted(broken.iterdir()))
    page.get_by_role("button", name="Check the files").click()
    text = page.locator("#import-job").inner_text()
    assert "to fix: nothing was imported" in text
    assert "works at spoke SA1, not SB1" in text
    check_page(page, "63-import-problems")
    context.close()

    context = browser.new_context(viewport={"width": 360, "height": 780}, bypass_csp=True)
    page = context.new_page()
    sign_in(page, live_server.url, "manager.north")
    open_menu(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Import").click()
    assert "Funders, hubs, spokes and staff are imported by a programme administrator" in (
        page.locator("main").inner_text()
    )
    check_page(page, "64-import-manager")
    context.close()
