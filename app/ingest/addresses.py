"""Which IP addresses copydesk fetches from: public ones only, unless told otherwise (SSRF guard)."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

IPAddress = IPv4Address | IPv6Address

# Named first so the message says what the range is; anything else not globally reachable
# (documentation, benchmarking, 6to4 relays ...) is refused by the is_global test after these.
NAMED_RANGES: tuple[tuple[IPv4Network | IPv6Network, str], ...] = tuple(
    (ip_network(network), what) for network, what in (
        ("0.0.0.0/8", "an unspecified address"),
        ("10.0.0.0/8", "a private network"),
        ("100.64.0.0/10", "a shared carrier-grade NAT network"),
        ("127.0.0.0/8", "the loopback interface"),
        ("169.254.0.0/16", "a link-local network"),
        ("172.16.0.0/12", "a private network"),
        ("192.168.0.0/16", "a private network"),
        ("224.0.0.0/4", "a multicast range"),
        ("255.255.255.255/32", "the broadcast address"),
        ("240.0.0.0/4", "a reserved range"),
        ("::/128", "an unspecified address"),
        ("::1/128", "the loopback interface"),
        ("::/8", "a reserved range"),
        ("fe80::/10", "a link-local network"),
        ("fec0::/10", "a site-local network"),
        ("fc00::/7", "a private network"),
        ("ff00::/8", "a multicast range"),
    )
)
NAT64 = ip_network("64:ff9b::/96")


def refusal(address: IPAddress | str) -> str | None:
    """Why copydesk does not fetch from ``address`` (a phrase for a message), or None when the
    address is public. An IPv4 address inside an IPv6 one (mapped ``::ffff:a.b.c.d``, NAT64,
    6to4) is judged by the IPv4 address, which is where the packets end up.

    >>> refusal("10.0.0.5"), refusal("::ffff:127.0.0.1"), refusal("93.184.215.14")
    ('a private network', 'the loopback interface', None)
    """
    address = embedded_ipv4(ip_address(address) if isinstance(address, str) else address)
    for network, what in NAMED_RANGES:
        if address.version == network.version and address in network:
            return what
    if not address.is_global:
        return "a non-public address range"
    return None


def embedded_ipv4(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 address carries (mapped, NAT64 or 6to4), else ``address``.

    >>> str(embedded_ipv4(ip_address("64:ff9b::a00:5"))), str(embedded_ipv4(ip_address("2001:db8::1")))
    ('10.0.0.5', '2001:db8::1')
    """
    if isinstance(address, IPv4Address):
        return address
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in NAT64:
        return IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour or address
