/* init and shutdown for test plugins that keep no state. */
#ifndef TSEEDER_TEST_PLUGIN_STATELESS_H
#define TSEEDER_TEST_PLUGIN_STATELESS_H
#include "tseeder/plugin.h"

static tseeder_status init(const tseeder_host_api* host, void** self, char* err, size_t len) {
  (void)host;
  (void)err;
  (void)len;
  *self = 0;
  return TSEEDER_OK;
}

static void shutdown_plugin(void* self) {
  (void)self;
}

#endif
