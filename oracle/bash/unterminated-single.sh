echo 'one
two' ok
echo 'never closed
