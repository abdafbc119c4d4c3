echo start
echo a &&
