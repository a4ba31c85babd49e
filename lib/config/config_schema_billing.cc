// The billing keys: crypto orders, chain watchers, card payments.
#include <tuple>

#include "config/config_keys.h"

namespace tseeder::config {

void add_billing_rows(std::vector<SchemaRow>& rows) {
  rows.push_back(int_key("billing.order_expiry_s", &Config::billing_order_expiry_s, 1, 86400,
                         "an unpaid crypto order expires this long after it is made (its amount is then free "
                         "for another order to the same address)"));
  rows.push_back(int_key("billing.sweep_interval_s", &Config::billing_sweep_interval_s, 1, 3600,
                         "how often unpaid orders expire and bought plan periods lapse to the free plan"));
  rows.push_back(int_key("billing.watch_interval_s", &Config::billing_watch_interval_s, 1, 3600,
                         "how often chain-watcher plugins are asked what order addresses received"));
  for (auto [coin, member, fallback] : {std::tuple{"btc", &Config::billing_confirmations_btc, "2"},
                                        std::tuple{"ltc", &Config::billing_confirmations_ltc, "6"},
                                        std::tuple{"usdt", &Config::billing_confirmations_usdt, "20"},
                                        std::tuple{"bnb", &Config::billing_confirmations_bnb, "15"}})
    rows.push_back(int_key(std::string("billing.confirmations.") + coin, member, 1, 10000,
                           std::string("confirmations a watched ") + coin +
                               " payment needs before its order is "
                               "confirmed (default " +
                               fallback + ")"));
  rows.push_back(string_key("billing.card.api_url", &Config::billing_card_api_url,
                            "the card processor's API (Stripe's, or one that speaks it)", check_public_url));
  rows.push_back(secret_key("billing.card.secret_key", &Config::billing_card_secret_key,
                            "the processor's secret API key; empty: card payments are off (never logged or dumped)"));
  rows.push_back(secret_key("billing.card.webhook_secret", &Config::billing_card_webhook_secret,
                            "the signing secret of the processor's webhook endpoint for /billing/webhook (never "
                            "logged or dumped)"));
  rows.push_back(string_key("billing.card.success_url", &Config::billing_card_success_url,
                            "where the processor sends a user who paid; empty: the public URL", check_public_url));
  rows.push_back(string_key("billing.card.cancel_url", &Config::billing_card_cancel_url,
                            "where it sends one who gave up, and where its customer portal returns to; empty: the "
                            "public URL",
                            check_public_url));
  rows.push_back(string_key("chain_esplora.bitcoin_url", &Config::chain_esplora_bitcoin_url,
                            "chain-esplora plugin: an Esplora API for bitcoin payments, e.g. "
                            "https://blockstream.info/api; empty: bitcoin payments are not watched",
                            check_public_url));
  rows.push_back(string_key("chain_esplora.litecoin_url", &Config::chain_esplora_litecoin_url,
                            "chain-esplora plugin: an Esplora API for litecoin payments; empty: not watched",
                            check_public_url));
  rows.push_back(int_key("chain_esplora.timeout_s", &Config::chain_esplora_timeout_s, 1, 300,
                         "chain-esplora plugin: the most one API call may take"));
}

}  // namespace tseeder::config
