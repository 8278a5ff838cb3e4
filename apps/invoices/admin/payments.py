"""Admin of payments, allocations and bank statement imports."""
