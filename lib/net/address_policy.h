// Which destination addresses outbound connections on a user's behalf may reach (SSRF guard):
// URL fetches, trackers, web seeds and peers. Shared with plugins, which link it statically; no
// dependencies beyond libc.
#pragma once
#include <sys/socket.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tseeder::net {

// Why a connection to this address is refused ("loopback", "private", "link-local",
// "cloud metadata", "this server's own address", …), or nullopt for a public unicast address.
// IPv4 written inside IPv6 (::ffff:a.b.c.d, ::a.b.c.d, ::ffff:0:a.b.c.d, NAT64, 6to4) is judged
// by its IPv4 part.
std::optional<std::string> restricted_address(const sockaddr* addr);
// The same for a host written as an IP literal ("127.0.0.1", "[::1]", "0x7f.1"); nullopt for a
// public address or a name (names are checked once resolved).
std::optional<std::string> restricted_ip_literal(std::string_view host);
// "10.0.0.1" / "::1" for messages.
std::string address_text(const sockaddr* addr);

// Every range restricted_address refuses by its number alone (not this server's own addresses),
// as first and last address in text, for firewalls such as libtorrent's IP filter.
struct AddressRange {
  std::string first, last, reason;
};
std::vector<AddressRange> restricted_ranges();
// The addresses of this machine's interfaces ("203.0.113.7", "2001:db8::7"), read anew at most
// every 10 s.
std::vector<std::string> own_addresses();

}  // namespace tseeder::net
