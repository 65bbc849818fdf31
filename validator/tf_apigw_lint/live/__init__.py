"""The live backend: deployed AWS state read with boto3, offered through the view protocol
so the same analysis and rules run on it (`live`, `drift`, `doctor`).

- `reader` — the narrow, read-only questions the backend asks AWS, and what can go wrong;
- `aws` — those questions answered by boto3 (the only module that imports it, lazily);
- `configuration` — one account region as a view `Configuration` (`source == "live"`);
- `build` — reads one account region through a reader into a configuration;
- `scan` — many accounts × regions, concurrently, with a bound.
"""
