// Which destination addresses outbound fetches on a user's behalf may reach (SSRF guard).
// Shared with plugins, which link it statically; no dependencies beyond libc.
#pragma once
#include <sys/socket.h>

#include <optional>
#include <string>
#include <string_view>

namespace tseeder::net {

// Why a fetch to this address is refused ("loopback", "private", "link-local",
// "cloud metadata", …), or nullopt for a public unicast address.
std::optional<std::string> restricted_address(const sockaddr* addr);
// The same for a host written as an IP literal ("127.0.0.1", "[::1]", "0x7f.1"); nullopt for a
// public address or a name (names are checked once resolved).
std::optional<std::string> restricted_ip_literal(std::string_view host);
// "10.0.0.1" / "::1" for messages.
std::string address_text(const sockaddr* addr);

}  // namespace tseeder::net
