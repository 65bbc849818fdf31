"""The view every backend offers (`protocol`), the values it speaks in (`values`) and source
ranges (`ranges`): the lowest layer, importing nothing else of the package."""
