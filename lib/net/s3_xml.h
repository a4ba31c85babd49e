// The few pieces of S3's XML replies we read (upload ids, error codes, listed keys). S3 bodies
// are flat and machine-made; a tag reader is enough and keeps a parser dependency out.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace tseeder::net::s3xml {

// Text of every <tag>…</tag> in order, entities decoded.
std::vector<std::string> values(std::string_view body, std::string_view tag);
// The first value, or "" when absent.
std::string value(std::string_view body, std::string_view tag);
std::string escape(std::string_view text);    // for values we put into XML
std::string unescape(std::string_view text);  // &amp; &lt; &gt; &quot; &apos; &#N; &#xN;

}  // namespace tseeder::net::s3xml
