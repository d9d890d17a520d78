"""Selling at the counter: the cart, holds, completing a sale, finding bookings, refunds."""
