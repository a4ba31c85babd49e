// Plugins registered in-process for unit tests: a descriptor with the current ABI around an
// engine or scanner table.
#pragma once
#include "tseeder/plugin.h"

namespace tseeder::testing_plugins {

inline tseeder_status ok_init(const tseeder_host_api*, void** self, char*, size_t) {
  *self = nullptr;
  return TSEEDER_OK;
}
inline void no_shutdown(void*) {}

inline tseeder_plugin_descriptor descriptor(const char* name, const tseeder_engine_api* engine,
                                            const tseeder_scanner_api* scanner) {
  return {sizeof(tseeder_plugin_descriptor),
          TSEEDER_ABI_MAJOR,
          TSEEDER_ABI_MINOR,
          static_cast<uint32_t>(engine ? TSEEDER_KIND_ENGINE : TSEEDER_KIND_SCANNER),
          name,
          "1",
          "test",
          ok_init,
          no_shutdown,
          engine,
          scanner,
          nullptr};
}

}  // namespace tseeder::testing_plugins
