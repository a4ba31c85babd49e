// A body stream whose bytes count against the owner's monthly bandwidth as they go out.
#pragma once
#include <memory>

#include "http/request.h"
#include "quota/bandwidth_meter.h"

namespace tseeder::daemon {

class MeteredStream final : public BodyStream {
 public:
  MeteredStream(std::shared_ptr<BodyStream> inner, std::shared_ptr<quota::BandwidthMeter::Reservation> claim)
      : inner_(std::move(inner)), claim_(std::move(claim)) {}
  void pull(PullFn done) override {
    inner_->pull([claim = claim_, done = std::move(done)](std::optional<std::string> chunk) {
      if (chunk) claim->sent(chunk->size());
      done(std::move(chunk));
    });
  }
  void cancel() override { inner_->cancel(); }

 private:
  std::shared_ptr<BodyStream> inner_;
  std::shared_ptr<quota::BandwidthMeter::Reservation> claim_;
};

}  // namespace tseeder::daemon
