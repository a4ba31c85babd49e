/* Claims ABI major TSEEDER_ABI_MAJOR + 1; exists only to prove the host refuses it. */
#include "stateless.h"

static const tseeder_plugin_descriptor descriptor = {sizeof(tseeder_plugin_descriptor),
                                                     TSEEDER_ABI_MAJOR + 1,
                                                     0,
                                                     TSEEDER_KIND_SCANNER,
                                                     "test-abi-mismatch",
                                                     "0",
                                                     "built for a future ABI",
                                                     init,
                                                     shutdown_plugin,
                                                     0,
                                                     0,
                                                     0};

TSEEDER_PLUGIN_EXPORT const tseeder_plugin_descriptor* tseeder_plugin_entry(const tseeder_host_api* host) {
  (void)host;
  return &descriptor;
}
