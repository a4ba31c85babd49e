/* A scanner that brings the process down (abort) when it scans a file whose name holds
 * "crash-the-daemon", and finds everything else clean: a step that fails the same way every
 * time it runs, so tests can show that recovery does not re-run it for ever. Test use only. */
#include <stdlib.h>
#include <string.h>

#include "stateless.h"

static tseeder_scan_verdict scan(void* self, const char* path, char* detail, size_t detail_len) {
  (void)self;
  (void)detail;
  (void)detail_len;
  if (strstr(path, "crash-the-daemon")) abort();
  return TSEEDER_SCAN_CLEAN;
}

static const tseeder_scanner_api scanner = {sizeof(tseeder_scanner_api), scan};

static const tseeder_plugin_descriptor descriptor = {sizeof(tseeder_plugin_descriptor),
                                                     TSEEDER_ABI_MAJOR,
                                                     TSEEDER_ABI_MINOR,
                                                     TSEEDER_KIND_SCANNER,
                                                     "test-crash-scanner",
                                                     "0",
                                                     "aborts on files named crash-the-daemon",
                                                     init,
                                                     shutdown_plugin,
                                                     0,
                                                     &scanner,
                                                     0};

TSEEDER_PLUGIN_EXPORT const tseeder_plugin_descriptor* tseeder_plugin_entry(const tseeder_host_api* host) {
  (void)host;
  return &descriptor;
}
