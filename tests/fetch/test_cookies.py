from newsdesk.fetch.cookies import Cookies


def test_a_cookie_goes_back_to_its_site_only():
    cookies = Cookies()
    assert cookies.header("http://news.example/a") is None
    cookies.keep(
        "http://news.example/consent",
        ["consent=yes; Path=/; Expires=Wed, 21 Oct 2099 07:28:00 GMT", "lang=en; Path=/world"],
    )
    assert len(cookies) == 2
    assert cookies.header("http://news.example/politics/1") == "consent=yes"
    assert sorted(cookies.header("http://news.example/world/2").split("; ")) == [
        "consent=yes",
        "lang=en",
    ]
    assert cookies.header("http://other.example/") is None


def test_an_answer_without_cookies_keeps_nothing():
    cookies = Cookies()
    cookies.keep("http://news.example/", [])
    assert len(cookies) == 0
