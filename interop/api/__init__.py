"""REST routes of the outbox (deliveries) and of the MSSanté inbox."""
