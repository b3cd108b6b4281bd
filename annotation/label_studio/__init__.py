"""The Label Studio round trip: labeling config, task conversions, server sync, `troopclaims ls`.

Names shared by the CLI and the sync live here so the CLI can build its
parser without importing anything heavy.
"""

ENV_URL = "LABEL_STUDIO_URL"
ENV_KEY = "LABEL_STUDIO_API_KEY"
DEFAULT_PROJECT = "troopclaims"
