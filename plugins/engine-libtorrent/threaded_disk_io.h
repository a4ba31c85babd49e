// libtorrent's pread/pwrite disk I/O moved off the network thread. posix_disk_io does every
// write and every piece hash synchronously on the thread that also reads the sockets; here the
// same storage code runs on a thread of its own, fed in order through one queue, so receiving
// and writing overlap. Pieces written front to back are hashed from the written blocks
// (PieceHashes) instead of being read back.
#pragma once
#include <libtorrent/disk_interface.hpp>
#include <libtorrent/io_context.hpp>
#include <libtorrent/performance_counters.hpp>
#include <libtorrent/settings_pack.hpp>
#include <memory>

namespace tseeder::engine_libtorrent {

// For lt::session_params::disk_io_constructor.
std::unique_ptr<lt::disk_interface> threaded_disk_io_constructor(lt::io_context& ios,
                                                                 lt::settings_interface const& settings,
                                                                 lt::counters& counters);

}  // namespace tseeder::engine_libtorrent
