"""Messages of the file store: its settings, and an object store that cannot be used."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "store.bad_url": {
        "zh": "LOOKBACK_STORE_URL“{value}”不是对象存储地址：应写成 s3://存储桶名/前缀"
              "（例如 s3://lookback/photos），存储桶名为 3 到 63 个小写字母、数字、点或连字符。",
        "en": "LOOKBACK_STORE_URL “{value}” is not an object store address: write "
              "s3://bucket/prefix (like s3://lookback/photos); a bucket name is 3-63 "
              "lower-case letters, digits, dots or hyphens."},
    "store.bad_endpoint": {
        "zh": "LOOKBACK_STORE_ENDPOINT“{value}”不是有效地址：应写成 http://主机:端口 "
              "或 https://主机。",
        "en": "LOOKBACK_STORE_ENDPOINT “{value}” is not an address: write "
              "http://host:port or https://host."},
    "store.problem.unreachable": {
        "zh": "无法连接对象存储 {endpoint}（{store}）：请检查 LOOKBACK_STORE_ENDPOINT "
              "是否正确、服务是否在运行、网络是否畅通。",
        "en": "Cannot reach the object store at {endpoint} ({store}): check "
              "LOOKBACK_STORE_ENDPOINT, that the service runs, and the network."},
    "store.problem.credentials": {
        "zh": "对象存储 {store} 拒绝了访问密钥（{code}）：请检查 LOOKBACK_STORE_ACCESS_KEY "
              "和 LOOKBACK_STORE_SECRET_KEY。",
        "en": "The object store {store} refused the keys ({code}): check "
              "LOOKBACK_STORE_ACCESS_KEY and LOOKBACK_STORE_SECRET_KEY."},
    "store.problem.no_credentials": {
        "zh": "对象存储 {store} 没有可用的访问密钥：请设置 LOOKBACK_STORE_ACCESS_KEY 和 "
              "LOOKBACK_STORE_SECRET_KEY。",
        "en": "No keys for the object store {store}: set LOOKBACK_STORE_ACCESS_KEY and "
              "LOOKBACK_STORE_SECRET_KEY."},
    "store.problem.no_bucket": {
        "zh": "对象存储中没有存储桶“{bucket}”：请先创建该存储桶，或改正 LOOKBACK_STORE_URL。",
        "en": "The object store has no bucket “{bucket}”: create it, or correct "
              "LOOKBACK_STORE_URL."},
    "store.problem.refused": {
        "zh": "对象存储 {store} 拒绝了请求（{code}）：请检查 LOOKBACK_STORE_URL 和该密钥的权限。",
        "en": "The object store {store} refused the request ({code}): check "
              "LOOKBACK_STORE_URL and what the keys may do."},
    "store.problem.unreadable": {
        "zh": "无法从对象存储 {store} 读取 {name}（{reason}）：请检查 LOOKBACK_STORE_ENDPOINT "
              "和访问密钥。",
        "en": "Cannot read {name} from the object store {store} ({reason}): check "
              "LOOKBACK_STORE_ENDPOINT and the keys."},
}
