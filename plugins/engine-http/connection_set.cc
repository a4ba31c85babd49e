#include "connection_set.h"

namespace tseeder::engine_http {

Connection& ConnectionSet::add(std::unique_ptr<Connection> c) {
  curl_multi_add_handle(multi_, c->easy());
  list_.push_back(std::move(c));
  ++running_;
  return *list_.back();
}

void ConnectionSet::clear() {
  for (auto& c : list_) curl_multi_remove_handle(multi_, c->easy());
  running_ = 0;
  list_.clear();
}

void ConnectionSet::step(const std::function<void(Connection&, CURLcode)>& ended, std::optional<Failure>& failure) {
  for (auto& c : list_) c->unpause_if_released();
  int still = 0;  // running_ counts our connections; curl's count lags behind its messages
  curl_multi_perform(multi_, &still);
  int left = 0;
  while (CURLMsg* m = curl_multi_info_read(multi_, &left)) {
    if (m->msg != CURLMSG_DONE) continue;
    Connection* c = nullptr;
    curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &c);
    curl_multi_remove_handle(multi_, c->easy());
    if (c->spliced()) continue;  // curl's part is over; the body goes on by splice
    --running_;
    ended(*c, m->data.result);
  }
  for (auto& c : list_) {
    if (failure || !c->spliced()) continue;
    if (c->pump(failure) == Connection::Pumped::done) --running_;
  }
}

void ConnectionSet::poll(int timeout_ms) {
  std::vector<curl_waitfd> spliced;
  for (auto& c : list_)
    if (c->spliced()) spliced.push_back(curl_waitfd{c->spliced_socket(), CURL_WAIT_POLLIN, 0});
  curl_multi_poll(multi_, spliced.data(), static_cast<unsigned>(spliced.size()), timeout_ms, nullptr);
}

}  // namespace tseeder::engine_http
