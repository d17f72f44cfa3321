"""Contact photos: image checks, storage backends and the service that attaches them."""
