"""Where a webhook may point: http(s) on public addresses, unless the setting allows private ones."""

import pytest

from worker.usecases.webhooks import WebhookRefused, check_target


def resolver(addresses):
    return lambda host, port: addresses


@pytest.mark.parametrize("addresses", [["10.0.0.5"], ["192.168.1.1"], ["127.0.0.1"], ["169.254.169.254"],
                                       ["::1"], ["fd00::1"], ["93.184.216.34", "172.16.0.1"], ["100.64.0.1"]])
def test_a_name_resolving_to_any_non_public_address_is_refused(addresses):
    with pytest.raises(WebhookRefused, match="public addresses only"):
        check_target("https://hooks.example.com/x", allow_private=False, resolver=resolver(addresses))


def test_a_public_address_is_accepted_and_the_setting_allows_private_ones():
    check_target("https://hooks.example.com/x", allow_private=False, resolver=resolver(["93.184.216.34"]))
    check_target("http://10.0.0.5:8080/x", allow_private=True, resolver=resolver([]))


def test_an_unresolvable_host_is_refused_with_its_name():
    def fails(host, port):
        raise OSError("Name or service not known")

    with pytest.raises(WebhookRefused, match="cannot be found"):
        check_target("https://nowhere.invalid/x", allow_private=False, resolver=fails)


@pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "https:///x", "javascript:alert(1)"])
def test_only_http_urls_with_a_host(url):
    with pytest.raises(WebhookRefused, match="https://"):
        check_target(url, allow_private=True)
