"""The SSRF guard: which addresses a webhook may reach, with and without private ones."""

from __future__ import annotations

import pytest

from rolodex.webhooks.addresses import AddressRefused, check_url, refusal

REFUSED_UNLESS_PRIVATE_ALLOWED = [
    "http://127.0.0.1/hook",
    "http://10.0.0.1/hook",
    "http://172.16.5.4/hook",
    "http://192.168.0.1/hook",
    "http://[::1]:8080/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[::ffff:7f00:1]/hook",
    "http://2130706433/hook",
    "http://0177.0.0.1/hook",
    "http://localhost/hook",
    "http://[fd12:3456::1]/hook",
    "http://[2002:7f00:1::]/hook",  # 6to4, judged as the IPv4 address it carries
]

ALWAYS_REFUSED = [
    "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:169.254.169.254]/",
    "http://[fe80::1]/",
    "http://[fd00:ec2::254]/",
    "http://0.0.0.0/",
    "http://[::]/",
    "http://224.0.0.251/",
    "http://240.0.0.1/",
    "http://192.0.2.10/",
    "gopher://8.8.8.8/",
    "https://user:pw@8.8.8.8/",
]


@pytest.mark.parametrize("url", REFUSED_UNLESS_PRIVATE_ALLOWED + ALWAYS_REFUSED)
def test_refused_with_private_addresses_off(url: str) -> None:
    with pytest.raises(AddressRefused):
        check_url(url, allow_private=False)


@pytest.mark.parametrize("url", REFUSED_UNLESS_PRIVATE_ALLOWED)
def test_allowed_when_private_addresses_are_allowed(url: str) -> None:
    check_url(url, allow_private=True)


@pytest.mark.parametrize("url", ALWAYS_REFUSED)
def test_metadata_link_local_and_special_addresses_stay_refused(url: str) -> None:
    with pytest.raises(AddressRefused):
        check_url(url, allow_private=True)


@pytest.mark.parametrize("url", ["https://8.8.8.8/hook", "http://[2606:4700:4700::1111]:8443/x"])
def test_public_addresses_are_allowed(url: str) -> None:
    check_url(url, allow_private=False)


def test_a_mapped_address_is_judged_by_the_ipv4_address_it_carries() -> None:
    assert refusal("::ffff:8.8.8.8", allow_private=False) is None
    assert refusal("::ffff:10.1.2.3", allow_private=False) is not None
