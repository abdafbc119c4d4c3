| echo x
