// Outbound mail over SMTP (libcurl) on its own thread, so a slow mail server never holds up a
// request. Mails are plain text; failures are logged without the body (it carries tokens).
#pragma once
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace tseeder::net {

struct Mail {
  std::string to;
  std::string subject;
  std::string text;
};

struct SmtpSettings {
  std::string url;  // smtp://HOST:PORT or smtps://HOST:PORT
  std::string from;
  std::string username;
  std::string password;
  bool require_tls = false;
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  virtual bool enabled() const = 0;
  virtual void send(Mail mail) = 0;  // queues; never throws for delivery trouble
};

class SmtpMailer final : public Mailer {
 public:
  using LogFn = std::function<void(bool ok, const std::string& message)>;
  SmtpMailer(SmtpSettings settings, LogFn log);
  ~SmtpMailer() override;  // delivers what is queued, then stops
  bool enabled() const override { return !settings_.url.empty(); }
  void send(Mail mail) override;
  // Connects, greets and signs in as a delivery would, then leaves (the health view); an empty
  // answer when that works, else what failed. From a worker thread; at most `timeout_s`.
  std::string probe(long timeout_s) const;

 private:
  void run();
  void deliver(const Mail& mail);
  SmtpSettings settings_;
  LogFn log_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Mail> queue_;
  bool stopping_ = false;
  std::thread worker_;
};

// The RFC 5322 message: headers and a plain-text body with CRLF line ends and dot-safe lines.
std::string render_mail(const Mail& mail, const std::string& from, const std::string& message_id_domain);

}  // namespace tseeder::net
