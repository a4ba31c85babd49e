// Argon2's working memory (19 MiB at the default cost), lent to each hash and kept for the next:
// mapped afresh for every hash it cost 4,864 page faults, three times the hash itself. Kept only
// while hashes come: a buffer unused for a while goes back to the system, so a daemon that saw a
// burst of logins does not hold tens of megabytes for good. One set for every thread.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace tseeder::auth::kdf_memory {

// At least `bytes` for one hash, a kept buffer when one fits; nullptr when the system has none.
std::uint8_t* lend(std::size_t bytes);
// Back for the next hash (Argon2 wipes it before it hands it back).
void give_back(std::uint8_t* memory);
// Unmaps what no hash has used for `idle`; returns the bytes that went back to the system.
std::size_t release_idle(std::chrono::steady_clock::duration idle);
// Bytes mapped now, lent or kept.
std::size_t mapped_bytes();

}  // namespace tseeder::auth::kdf_memory
