// Chain watchers' answers: the Esplora plugin's reading of the API's shapes, and the host's
// checks of what any watcher plugin answers before the store believes it.
#include "plugin/chain_watcher.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "esplora_client.h"

namespace tseeder {
namespace {

const std::string kAddr = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";

std::string tx(const std::string& txid, const std::string& outputs, const std::string& status) {
  return R"({"txid":")" + txid + R"(","version":2,"locktime":0,"vin":[],"vout":[)" + outputs +
         R"(],"size":222,"weight":561,"fee":1410,"status":)" + status + "}";
}

std::string out(const std::string& address, const std::string& value) {
  return R"({"scriptpubkey":"0014","scriptpubkey_asm":"","scriptpubkey_type":"v0_p2wpkh","scriptpubkey_address":")" +
         address + R"(","value":)" + value + "}";
}

TEST(EsploraClientTest, PaymentsToTheAddressWithConfirmationsFromTheTip) {
  const std::string txs =
      "[" + tx("aa", out(kAddr, "5000") + "," + out("bc1qchange", "7000"), R"({"confirmed":false})") + "," +
      tx("bb", out(kAddr, "100") + "," + out(kAddr, "23"),
         R"({"confirmed":true,"block_height":869998,"block_hash":"00","block_time":1})") +
      "," + tx("cc", out("bc1qelsewhere", "9"), R"({"confirmed":true,"block_height":1})") + "]";
  const auto r = chain_esplora::parse_address("870000", txs, kAddr);
  EXPECT_EQ(r.tip_height, 870000);
  ASSERT_EQ(r.payments.size(), 2u);  // the spend elsewhere is not a payment
  EXPECT_EQ((std::tuple{r.payments[0].txid, r.payments[0].amount_units, r.payments[0].confirmations}),
            (std::tuple{std::string("aa"), std::string("5000"), std::int64_t{0}}));
  EXPECT_EQ((std::tuple{r.payments[1].txid, r.payments[1].amount_units, r.payments[1].confirmations}),
            (std::tuple{std::string("bb"), std::string("123"), std::int64_t{3}}));
  // An output without a script address (OP_RETURN) is fine; odd shapes are refused.
  EXPECT_NO_THROW(chain_esplora::parse_address(
      "1",
      "[" + tx("dd", R"({"scriptpubkey":"6a","scriptpubkey_type":"op_return","value":0})", R"({"confirmed":false})") +
          "]",
      kAddr));
  EXPECT_THROW(chain_esplora::parse_address("tip", "[]", kAddr), std::runtime_error);
  EXPECT_THROW(chain_esplora::parse_address("1", "{}", kAddr), std::runtime_error);
  EXPECT_THROW(chain_esplora::parse_address("1", R"([{"txid":"aa"}])", kAddr), std::runtime_error);
  EXPECT_THROW(
      chain_esplora::parse_address("1", "[" + tx("aa", out(kAddr, "\"5\""), R"({"confirmed":false})") + "]", kAddr),
      std::runtime_error);
  EXPECT_THROW(chain_esplora::parse_address("1", "[" + tx("aa", out(kAddr, "5"), R"({"confirmed":true})") + "]", kAddr),
               std::runtime_error);
}

TEST(ChainWatcherTest, AnswersAreCheckedBeforeTheyAreBelieved) {
  const auto ok = plugin::parse_address_payments(
      R"({"tipHeight": 5, "payments": [{"txid": "ab12", "amountUnits": "5001", "confirmations": 2}]})", "w");
  ASSERT_EQ(ok.payments.size(), 1u);
  EXPECT_EQ(ok.payments[0].amount_units, "5001");
  for (const char* bad : {"", "[]", R"({"payments": []})", R"({"tipHeight": -1, "payments": []})",
                          R"({"tipHeight": 1.5, "payments": []})", R"({"tipHeight": 1, "payments": {}})",
                          R"({"tipHeight": 1, "payments": [{"txid": "ab", "amountUnits": "5"}]})",
                          R"({"tipHeight": 1, "payments": [{"txid": "a b", "amountUnits": "5", "confirmations": 0}]})",
                          R"({"tipHeight": 1, "payments": [{"txid": "ab", "amountUnits": "-5", "confirmations": 0}]})",
                          R"({"tipHeight": 1, "payments": [{"txid": "ab", "amountUnits": 5, "confirmations": 0}]})",
                          R"({"tipHeight": 1, "payments": [{"txid": "ab", "amountUnits": "5", "confirmations": -1}]})"})
    EXPECT_THROW(plugin::parse_address_payments(bad, "w"), Error) << bad;
  const std::string long_units(37, '9');
  EXPECT_THROW(plugin::parse_address_payments(R"({"tipHeight": 1, "payments": [{"txid": "ab", "amountUnits": ")" +
                                                  long_units + R"(", "confirmations": 0}]})",
                                              "w"),
               Error);
}

}  // namespace
}  // namespace tseeder
