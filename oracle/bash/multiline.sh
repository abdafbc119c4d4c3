echo a \
  b
echo "x
y"
true &&
  echo continued
echo one &&
foo &&
echo three
echo last |
  grep l
echo $?
