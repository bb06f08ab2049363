"""The address classifier behind the SSRF guard: every non-public IPv4 and IPv6 range refused,
IPv4 hidden in IPv6 unwrapped, public addresses let through."""

from __future__ import annotations

from ipaddress import ip_address

import pytest

from app.ingest.addresses import embedded_ipv4, refusal


@pytest.mark.parametrize(("address", "reason"), [
    ("10.0.0.0", "a private network"),
    ("10.255.255.255", "a private network"),
    ("172.16.0.1", "a private network"),
    ("172.31.255.254", "a private network"),
    ("192.168.1.1", "a private network"),
    ("127.0.0.1", "the loopback interface"),
    ("127.255.0.9", "the loopback interface"),
    ("169.254.169.254", "a link-local network"),
    ("100.64.0.1", "a shared carrier-grade NAT network"),
    ("100.127.255.254", "a shared carrier-grade NAT network"),
    ("0.0.0.0", "an unspecified address"),
    ("0.1.2.3", "an unspecified address"),
    ("224.0.0.1", "a multicast range"),
    ("239.255.255.250", "a multicast range"),
    ("240.0.0.1", "a reserved range"),
    ("255.255.255.255", "the broadcast address"),
    ("192.0.2.10", "a non-public address range"),
    ("198.18.0.1", "a non-public address range"),
])
def test_non_public_ipv4_addresses_are_refused_with_their_range_named(address: str, reason: str) -> None:
    assert refusal(address) == reason


@pytest.mark.parametrize(("address", "reason"), [
    ("::1", "the loopback interface"),
    ("::", "an unspecified address"),
    ("fe80::1", "a link-local network"),
    ("febf:ffff::1", "a link-local network"),
    ("fc00::1", "a private network"),
    ("fd12:3456:789a::1", "a private network"),
    ("fec0::1", "a site-local network"),
    ("ff02::1", "a multicast range"),
    ("ff0e::1", "a multicast range"),
    ("::7f00:1", "a reserved range"),
    ("2001:db8::1", "a non-public address range"),
])
def test_non_public_ipv6_addresses_are_refused_with_their_range_named(address: str, reason: str) -> None:
    assert refusal(address) == reason


@pytest.mark.parametrize(("address", "reason"), [
    ("::ffff:127.0.0.1", "the loopback interface"),
    ("::ffff:10.1.2.3", "a private network"),
    ("::ffff:169.254.169.254", "a link-local network"),
    ("64:ff9b::a00:5", "a private network"),
    ("64:ff9b::7f00:1", "the loopback interface"),
    ("2002:c0a8:101::1", "a private network"),
    ("2002:7f00:1::", "the loopback interface"),
])
def test_ipv4_addresses_inside_ipv6_are_judged_as_the_ipv4_address(address: str, reason: str) -> None:
    assert refusal(address) == reason


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1",
                                     "100.63.255.255", "100.128.0.1", "2001:4860:4860::8888",
                                     "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert refusal(address) is None


def test_embedded_ipv4_leaves_plain_addresses_alone() -> None:
    assert embedded_ipv4(ip_address("8.8.4.4")) == ip_address("8.8.4.4")
    assert embedded_ipv4(ip_address("2606:4700::1")) == ip_address("2606:4700::1")
    assert embedded_ipv4(ip_address("::ffff:192.168.0.1")) == ip_address("192.168.0.1")
