"""The OAuth 2.0 token endpoints: `/v3/oauth.<method>` and the `/api/v1/oauth.<method>` aliases."""
