#include "net/smtp_mailer.h"

#include <curl/curl.h>

#include <cstring>
#include <ctime>

#include "core/ids.h"
#include "core/thread_name.h"

namespace tseeder::net {

namespace {

// Header values come from config and validated addresses; CR/LF never reach the header block.
std::string header_safe(std::string s) {
  for (char& c : s)
    if (c == '\r' || c == '\n') c = ' ';
  return s;
}

std::string rfc5322_date() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

struct Upload {
  const std::string* data;
  std::size_t pos = 0;
};

std::size_t read_cb(char* buf, std::size_t size, std::size_t n, void* userp) {
  auto* u = static_cast<Upload*>(userp);
  std::size_t left = u->data->size() - u->pos;
  std::size_t take = std::min(left, size * n);
  std::memcpy(buf, u->data->data() + u->pos, take);
  u->pos += take;
  return take;
}

// A handle set up with the server, TLS and sign-in settings every conversation shares.
CURL* start(const SmtpSettings& settings, long connect_timeout_s, long timeout_s) {
  CURL* c = curl_easy_init();
  if (!c) return nullptr;
  curl_easy_setopt(c, CURLOPT_URL, settings.url.c_str());
  curl_easy_setopt(c, CURLOPT_USE_SSL, settings.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, connect_timeout_s);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (!settings.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, settings.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, settings.password.c_str());
  }
  return c;
}

}  // namespace

std::string render_mail(const Mail& mail, const std::string& from, const std::string& domain) {
  std::string out;
  out += "Date: " + rfc5322_date() + "\r\n";
  out += "From: " + header_safe(from) + "\r\n";
  out += "To: " + header_safe(mail.to) + "\r\n";
  out += "Subject: " + header_safe(mail.subject) + "\r\n";
  out += "Message-ID: <" + random_hex_id(12) + "@" + header_safe(domain) + ">\r\n";
  out += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
  std::size_t start = 0;
  while (start <= mail.text.size()) {
    auto nl = mail.text.find('\n', start);
    std::string line = mail.text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty() && line.front() == '.') line.insert(line.begin(), '.');
    out += line + "\r\n";
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

SmtpMailer::SmtpMailer(SmtpSettings settings, LogFn log) : settings_(std::move(settings)), log_(std::move(log)) {
  if (enabled()) worker_ = std::thread([this] { run(); });
}

SmtpMailer::~SmtpMailer() {
  {
    std::lock_guard lk(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void SmtpMailer::send(Mail mail) {
  if (!enabled()) return;
  {
    std::lock_guard lk(mu_);
    queue_.push_back(std::move(mail));
  }
  cv_.notify_one();
}

void SmtpMailer::run() {
  core::name_this_thread("smtp-mailer");
  for (;;) {
    Mail mail;
    {
      std::unique_lock lk(mu_);
      cv_.wait(lk, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      mail = std::move(queue_.front());
      queue_.pop_front();
    }
    deliver(mail);
  }
}

std::string SmtpMailer::probe(long timeout_s) const {
  CURL* c = start(settings_, timeout_s, timeout_s);
  if (!c) return "libcurl could not start";
  // Only the connection phase: greeting, EHLO, STARTTLS and AUTH when configured; no mail.
  curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, 1L);
  const CURLcode rc = curl_easy_perform(c);
  curl_easy_cleanup(c);
  return rc == CURLE_OK ? std::string() : curl_easy_strerror(rc);
}

void SmtpMailer::deliver(const Mail& mail) {
  auto at = settings_.from.rfind('@');
  std::string domain = at == std::string::npos ? "localhost" : settings_.from.substr(at + 1);
  while (!domain.empty() && (domain.back() == '>' || domain.back() == ' ')) domain.pop_back();
  std::string message = render_mail(mail, settings_.from, domain);
  Upload up{&message};
  CURL* c = start(settings_, 20, 60);
  if (!c) return log_(false, "mail to " + mail.to + " not sent: libcurl could not start");
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + mail.to + ">").c_str());
  std::string from_addr = settings_.from;
  if (auto lt = from_addr.find('<'); lt != std::string::npos)
    from_addr = from_addr.substr(lt + 1, from_addr.find('>', lt) - lt - 1);
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, ("<" + from_addr + ">").c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt(c, CURLOPT_READDATA, &up);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(c);
  if (rc != CURLE_OK)
    log_(false, "mail \"" + mail.subject + "\" to " + mail.to + " not sent: " + curl_easy_strerror(rc));
  else
    log_(true, "mail \"" + mail.subject + "\" sent to " + mail.to);
}

}  // namespace tseeder::net
