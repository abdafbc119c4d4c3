echo one
exit abc
echo never
