"""The account page's API tokens, in a browser at phone width: make one, use it, revoke it."""


def test_make_use_and_revoke_a_token_at_390px(page, live_server, login):
    page.set_viewport_size({"width": 390, "height": 800})
    login("reviewer")
    page.locator(".who").get_by_role("link", name="reviewer").click()
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Token name").fill("phone-script")
    page.get_by_role("button", name="Make a token").click()
    assert "Copy it now: it is not shown again." in page.locator(".notice").inner_text()
    secret = page.get_by_label("Token").first.input_value()
    assert secret.startswith("ann_")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    api = page.request
    headers = {"Authorization": f"Bearer {secret}"}
    assert api.get(f"{live_server}/api/v1/projects", headers=headers).status == 200
    page.reload()
    assert secret not in page.content()

    page.get_by_role("button", name="Revoke phone-script").click()
    assert "is revoked" in page.content()
    assert api.get(f"{live_server}/api/v1/projects", headers=headers).status == 401
