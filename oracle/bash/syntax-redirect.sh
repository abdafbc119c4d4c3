echo ok
echo >
