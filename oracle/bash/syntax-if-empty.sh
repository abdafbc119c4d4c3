if; then echo; fi
