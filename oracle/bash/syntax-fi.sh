echo before
fi
