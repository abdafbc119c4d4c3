echo a && && echo b
