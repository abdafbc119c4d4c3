echo fine
echo "never closed
echo more
