echo first
echo a; ;
echo never
